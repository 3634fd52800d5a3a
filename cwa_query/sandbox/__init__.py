"""The sandbox: a real HTTP stand-in for a ConnectWise Automate server.

Serve it from Python (`with Sandbox(...) as sandbox:`), from the command line
(`cwa-query sandbox --profile automate`), or from pytest (the `cwa_sandbox` fixture,
registered automatically when cwa_query is installed). See `Sandbox` for every option.
"""

from __future__ import annotations

from ._app import SandboxApp, SandboxConfig, SandboxRequest, SandboxResponse
from ._automate import AutomateDataset
from ._data import COLLECTIONS, Dataset
from ._faults import FAULT_KINDS, FaultPlan
from ._profiles import SANDBOX_PROFILES, SandboxProfile, dataset, sandbox_profile
from ._sandbox import DEFAULT_CLIENT_ID, Sandbox, SandboxCredentials
from ._server import AsyncSandboxTransport, SandboxTransport

__all__ = [
    "COLLECTIONS",
    "DEFAULT_CLIENT_ID",
    "FAULT_KINDS",
    "SANDBOX_PROFILES",
    "AsyncSandboxTransport",
    "AutomateDataset",
    "Dataset",
    "FaultPlan",
    "Sandbox",
    "SandboxApp",
    "SandboxConfig",
    "SandboxCredentials",
    "SandboxProfile",
    "SandboxRequest",
    "SandboxResponse",
    "SandboxTransport",
    "dataset",
    "sandbox_profile",
]

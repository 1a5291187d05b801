"""Parameter checks shared by the entry points and the stages: each raises ParameterError naming the parameter."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from claimcmp.errors import ParameterError

_DEVICE = re.compile(r"cpu|cuda(?::(\d+))?|mps")


def check_int(value: object, name: str, minimum: int = 1) -> int:
    """``value`` as an int when it is a whole number (not a bool) >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ParameterError(f"{name} must be a whole number >= {minimum}, got {value!r}.")
    return int(value)


def check_number(value: object, name: str, low: float, high: float, what: str = "a number") -> float:
    """``value`` as a float when it is a real number (not a bool, not NaN) in ``[low, high]``."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)) \
            or math.isnan(float(value)) or not low <= float(value) <= high:
        raise ParameterError(f"{name} must be {what} in [{low:g}, {high:g}], got {value!r}.")
    return float(value)


def check_bool(value: object, name: str) -> bool:
    """``value`` when it is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise ParameterError(f"{name} must be True or False, got {value!r}.")
    return bool(value)


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """``value`` when it is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ParameterError(f"{name} must be one of {tuple(choices)}, got {value!r}.")
    return value


def check_optional_str(value: object, name: str) -> None:
    """Raise unless ``value`` is None or a non-empty string."""
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ParameterError(f"{name} must be None or a non-empty string, got {value!r}.")


def check_device(device: object, name: str = "device") -> str:
    """``device`` when it names a torch device that exists here: ``cpu``, ``cuda``, ``cuda:N`` or ``mps``.

    Only torch is imported (no model loads), and only for a device other than ``cpu``.
    """
    m = _DEVICE.fullmatch(device) if isinstance(device, str) else None
    if m is None:
        raise ParameterError(f"{name} must be 'cpu', 'cuda', 'cuda:N' or 'mps', got {device!r}.")
    device = m.group(0)
    if device == "cpu":
        return device
    import torch

    if device.startswith("cuda"):
        index = int(m.group(1) or 0)
        count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if index >= count:
            raise ParameterError(f"{name}={device!r}: no such CUDA device here ({count} available); "
                                 "use device='cpu'.")
    elif not torch.backends.mps.is_available():
        raise ParameterError(f"{name}='mps': MPS is not available on this machine; use device='cpu'.")
    return device

"""PII detection and masking on Presidio: detect, detect_many, mask, mask_frame, guard.

>>> from workbench.pii import mask
>>> mask("mail alice@example.com from 10.0.0.7").text
'mail <EMAIL_ADDRESS> from <IP_ADDRESS>'
"""
from __future__ import annotations

from ..errors import PolicyBlock
from .engine import detect, detect_many, engine_info
from .findings import Finding, Masked
from .frame import mask_frame
from .guard import guard
from .masking import mask

__all__ = ["Finding", "Masked", "PolicyBlock", "detect", "detect_many", "engine_info", "guard",
           "mask", "mask_frame"]

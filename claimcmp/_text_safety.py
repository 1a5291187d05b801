"""Text that is safe to store and to print: unencodable code points replaced, terminal controls removed."""

from __future__ import annotations

import re

#: What replaces a code point UTF-8 cannot encode (a lone surrogate): U+FFFD, one code point for one.
REPLACEMENT = "\ufffd"

_SURROGATE = re.compile("[\ud800-\udfff]")
# ANSI/VT escape sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings (ended by BEL or ST),
# and two-character escapes (ESC + one character); the 8-bit forms too. An unterminated string loses
# only its introducer.
_ESCAPE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[ -/]*[0-~]?",
)
# C0 controls except tab and newline, DEL, C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def replace_unencodable(text: str) -> tuple[str, int]:
    """``text`` with every code point UTF-8 cannot encode (lone surrogates) replaced by U+FFFD.

    The replacement is one code point for one, so every character offset into the text stays
    valid. Returns the new text and the number of code points replaced.
    """
    return _SURROGATE.subn(REPLACEMENT, text)


def sanitize_terminal(text: str) -> str:
    """``text`` fit to print on a terminal: escape sequences and control characters removed.

    Removes ANSI/VT escape sequences, then every remaining C0 control except newline and tab,
    DEL and the C1 controls; lone surrogates become U+FFFD so that writing the text never fails.
    """
    text = _ESCAPE.sub("", str(text))
    text = _CONTROL.sub("", text)
    return replace_unencodable(text)[0]

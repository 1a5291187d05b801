"""Typed errors and warnings raised by claimcmp.

Every error subclasses :class:`ClaimcmpError` (catch that to handle any claimcmp failure) and
also the builtin it replaces, so ``except ValueError`` keeps working. Each class has a stable
``code`` shown at the start of its message and used by the CLI's exit codes. Messages are fit to
print: control characters and terminal escape sequences (from article text, ids or names) are removed.
"""

from __future__ import annotations

from claimcmp._text_safety import sanitize_terminal


class ClaimcmpError(Exception):
    """Base class of every error raised by claimcmp."""

    code = "CC000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {sanitize_terminal(message)}")


class InputError(ClaimcmpError, ValueError):
    """The articles handed in cannot be compared as they are."""

    code = "CC100"


class NoArticlesError(InputError):
    """No articles were given."""

    code = "CC101"


class EmptyTextError(InputError):
    """An article's text is empty, whitespace only, or nothing is left after cleaning."""

    code = "CC102"


class MissingOutletError(InputError):
    """An article has no outlet."""

    code = "CC103"


class DuplicateArticleIdError(InputError):
    """Two articles share one ``article_id``."""

    code = "CC104"


class TooFewOutletsError(InputError):
    """Fewer than two outlets, and a single-outlet comparison was not asked for."""

    code = "CC105"


class TextTypeError(InputError, TypeError):
    """A field has the wrong type (for example text that is not a string)."""

    code = "CC106"


class ClaimsError(InputError):
    """The claims handed to :func:`claimcmp.track` cannot be used (none, a missing column, a bad or
    duplicate ``claim_id``)."""

    code = "CC110"


class ArticleReadError(ClaimcmpError, OSError):
    """A file of articles or its manifest cannot be read or decoded."""

    code = "CC200"


class InputPathError(ArticleReadError):
    """An input path is refused unread: a manifest entry outside the manifest's folder (``../x``, an
    absolute path, a symlink leading out), something other than a regular file (a FIFO, a device), or a name
    no file can have (one with a NUL character)."""

    code = "CC210"


class OutputReadError(ArticleReadError):
    """A saved comparison folder is incomplete, mixed from several runs, or damaged (a missing or
    truncated table, a table of another run, a broken ``meta.json`` or ``dtypes.json``)."""

    code = "CC220"


class ParameterError(ClaimcmpError, ValueError):
    """An option is out of range, or a stage object lacks the method its slot needs."""

    code = "CC300"


class ModelNotFoundError(ClaimcmpError, FileNotFoundError):
    """A model's weights are not installed where the registry says they live."""

    code = "CC400"


class OffsetError(ClaimcmpError, RuntimeError):
    """A span's offsets do not reproduce its text: always a bug in a stage."""

    code = "CC500"


class OutputError(ClaimcmpError, OSError):
    """An output folder cannot be written as asked."""

    code = "CC600"


class OutputPathError(OutputError):
    """The output path is unusable: empty, not a folder, not writable, the current directory, or a
    folder holding files claimcmp did not write."""

    code = "CC601"


class OutputLockedError(OutputError):
    """Another run is writing into the same output folder (its lock file names the process)."""

    code = "CC602"


class ClaimcmpWarning(UserWarning):
    """Base class of claimcmp's warnings."""


class SingleOutletWarning(ClaimcmpWarning):
    """A comparison was run on one outlet only: no cross-outlet pairs exist."""


class UnencodableTextWarning(ClaimcmpWarning):
    """An article held code points UTF-8 cannot encode (lone surrogates); each was replaced by U+FFFD."""


__all__ = [
    "ArticleReadError",
    "ClaimcmpError",
    "ClaimcmpWarning",
    "ClaimsError",
    "DuplicateArticleIdError",
    "EmptyTextError",
    "InputError",
    "InputPathError",
    "MissingOutletError",
    "ModelNotFoundError",
    "NoArticlesError",
    "OffsetError",
    "OutputError",
    "OutputLockedError",
    "OutputPathError",
    "OutputReadError",
    "ParameterError",
    "SingleOutletWarning",
    "TextTypeError",
    "TooFewOutletsError",
    "UnencodableTextWarning",
]

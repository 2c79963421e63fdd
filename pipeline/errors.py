"""The one exception the pipeline's steps raise: its message is the whole story, no traceback."""


class PipelineError(Exception):
    """A step cannot go on; the message names the file or folder, what went wrong and the fix."""

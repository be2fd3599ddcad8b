"""PhysioLine: telephone triage desk for NHS community MSK physiotherapy services."""

__version__ = "0.1.0"

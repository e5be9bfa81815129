"""dixian's domain and the processes around it: intake, projections runner, CLI, settings."""

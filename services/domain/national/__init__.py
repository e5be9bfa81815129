"""The national system's exports (全国防止返贫监测和衔接推进乡村振兴信息系统): their columns, their
rows as households, what dixian knows of the same households, and the differences between
the two — as events to import, or as R8.1 findings. Pure: reading and writing the workbooks
is services.adapters.national_export's."""

NATIONAL_SYSTEM = "national_system"  # the declared source of the imports

"""The scheduler process: its jobs, the rules that trigger them, database leases."""

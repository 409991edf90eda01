"""The simulated VMS's objects and rules, one module per resource family. No HTTP in here."""

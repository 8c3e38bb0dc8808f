"""The five pages of the main window: inventory, assessment, dashboard, taxonomy, reports."""

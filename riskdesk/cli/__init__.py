"""The riskdesk console command."""

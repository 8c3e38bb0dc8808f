"""Team mode: the project store on a shared database server (PostgreSQL), see docs/team.md."""

from riskdesk.cli.main import main

raise SystemExit(main())

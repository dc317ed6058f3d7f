from communes.cli import main

raise SystemExit(main())

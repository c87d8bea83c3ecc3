from callqueue.cli.main import main

raise SystemExit(main())

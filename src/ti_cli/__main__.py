from ti_cli.cli import main

main()

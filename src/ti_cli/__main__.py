from ti_cli.launch import main

main()

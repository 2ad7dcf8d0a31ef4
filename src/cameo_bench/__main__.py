from cameo_bench.cli.app import main

main()

from newshub.cli import main

main()

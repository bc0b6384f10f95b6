from watchdeck.cli import main

main()

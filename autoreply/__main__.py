from autoreply.cli import main

main()

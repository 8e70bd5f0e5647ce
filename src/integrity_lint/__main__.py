from integrity_lint.cli import main

main()

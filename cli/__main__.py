from duluan.cli.app import main

main()

from phananh_local.server import main

main()

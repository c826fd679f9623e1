from bench.runner import main

# Guarded: worker processes are spawned and import this module again.
if __name__ == "__main__":
    main()

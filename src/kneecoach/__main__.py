from kneecoach.cli.main import run

run()

import sys

from nrplan.cli import main

sys.exit(main())

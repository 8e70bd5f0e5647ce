"""Settings of the demo shop."""

import os

DEBUG = os.environ.get("SHOP_DEBUG") == "1"

# Read from the environment: fine.
DATABASE_PASSWORD = os.environ["SHOP_DB_PASSWORD"]

# A payment provider key committed to the repository.
PAYMENTS_API_KEY = "sk_live_51EXAMPLEexampleEXAMPLEexample00"

# Segment write keys identify the source; they are meant to ship in clients.
SEGMENT_WRITE_KEY = "wk_3XAMPLE3xampl3"

# Database topology.
MASTER_DB_HOST = "db-1.internal"
REPLICA_DB_HOST = "db-2.internal"

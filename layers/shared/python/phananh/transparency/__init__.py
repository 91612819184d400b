"""What the public and the reporter see: report views, ratings, scorecards, Open311, the publication gate."""

"""Who owns a report: wards, the directory of units and officers, owner rules, photo checks, the intake pipeline."""

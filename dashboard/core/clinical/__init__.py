"""Clinical instruments and records: ISI, the sleep diary, night corrections, relapse plan, the weekly review."""

"""
Agents come from the employers' HR systems: an HR admin uploads a CSV or XLSX extract,
reads a preview (rows to create, update, leave unchanged or reject, each error in French
with its line), then confirms.

- `mapping`: the fields an extract fills, the column of each (saved per employer), and
  the « style RenoiRH » preset;
- `reading`: the file into rows of text (CSV of any usual delimiter and encoding, XLSX);
- `planning`: each row against the database, without writing: what would change, why a
  row is rejected; agents absent from a full extract;
- `applying`: the plan written in bulk, in batches, with progress.

Hand-written rather than django-import-export: the identity key is an e-mail scoped to
one employer, managers refer to rows of the same file, absent agents are deactivated,
priority grounds refresh stored requests, and 100,000 rows fit in a minute only with
set-based writes; the generic resources would need overriding at each of these points.
"""

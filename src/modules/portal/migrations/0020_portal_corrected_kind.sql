-- status=corrected with a kind (in practice kind=tender: amendments correct tender notices): the
-- corrected notices of that kind, newest first, for the list and its count. notices_corrected
-- (0018) has no kind, so the count intersected it with all 200,000 tender notices of
-- notices_kind (bench/portal.ts, 1,000,000 notices: 57–106 ms; the list's slowest shape).
CREATE INDEX notices_corrected_kind ON portal.notices (kind, published_at DESC, id DESC) WHERE corrected_at IS NOT NULL;

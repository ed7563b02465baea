-- Every message stored or answered bumps its conversation's last_seq (and updated_at): the
-- conversation row is updated at least once per message. In full pages a quarter of those
-- updates found no room for the new row version beside the old one (bench ingest: 21,276 of
-- 28,188 were HOT), and each such update adds entries to both of the table's indexes and leaves
-- dead ones behind for vacuum, which the next lookups wade through. Half-full pages leave that
-- room: every update is HOT (23,993 of 23,993 in the same run), with no index entry, and a page
-- prunes itself without vacuum. Applies to pages written from now on.
ALTER TABLE "conversation" SET (fillfactor = 50);

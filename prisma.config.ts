// Prisma CLI configuration. Only `prisma generate` is used (see scripts/prisma-generate.cjs);
// the database URL is never needed here because migrations are applied by src/db/migrator.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
});

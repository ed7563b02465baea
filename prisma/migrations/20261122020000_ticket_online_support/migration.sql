-- service_support tickets (trouble with an online public service) go to the topic's agency and are
-- flagged for the online-service support team (taxonomy.md, "Routing defaults").
ALTER TABLE "ticket" ADD COLUMN "online_support" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE `agent_tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`request` text NOT NULL,
	`response` text,
	`repeatable` integer NOT NULL,
	`callback_url` text,
	`callback_attempts` integer DEFAULT 0 NOT NULL,
	`callback_delivered` integer DEFAULT false NOT NULL,
	`callback_last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "agent_tasks_status_known" CHECK("agent_tasks"."status" IN ('queued', 'running', 'succeeded', 'failed')),
	CONSTRAINT "agent_tasks_response_when_finished" CHECK(("agent_tasks"."status" IN ('succeeded', 'failed')) = ("agent_tasks"."response" IS NOT NULL)),
	CONSTRAINT "agent_tasks_callback_attempts_non_negative" CHECK("agent_tasks"."callback_attempts" >= 0)
);
--> statement-breakpoint
CREATE INDEX `agent_tasks_status_idx` ON `agent_tasks` (`status`);
CREATE TABLE `react_turns` (
	`workflow_id` text NOT NULL,
	`turn` integer NOT NULL,
	`action` text NOT NULL,
	`args` text,
	`observation` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`workflow_id`, `turn`),
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `workflow_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workflow_id` text NOT NULL,
	`type` text NOT NULL,
	`step_id` text,
	`data` text,
	`at` integer DEFAULT (unixepoch() * 1000) NOT NULL,
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `workflow_events_workflow_idx` ON `workflow_events` (`workflow_id`,`id`);--> statement-breakpoint
CREATE TABLE `workflow_steps` (
	`workflow_id` text NOT NULL,
	`step_id` text NOT NULL,
	`step_order` integer NOT NULL,
	`service_name` text NOT NULL,
	`operation` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`parameters` text,
	`result` text,
	`error` text,
	`started_at` integer,
	`finished_at` integer,
	PRIMARY KEY(`workflow_id`, `step_id`),
	FOREIGN KEY (`workflow_id`) REFERENCES `workflows`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `workflows` (
	`id` text PRIMARY KEY NOT NULL,
	`user_request` text NOT NULL,
	`mode` text NOT NULL,
	`planner` text NOT NULL,
	`status` text NOT NULL,
	`plan` text,
	`problems` text,
	`final_result` text,
	`error` text,
	`compensations` text,
	`llm_calls` integer DEFAULT 0 NOT NULL,
	`prompt_tokens` integer DEFAULT 0 NOT NULL,
	`completion_tokens` integer DEFAULT 0 NOT NULL,
	`callback_url` text,
	`callback_status` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `workflows_status_created_idx` ON `workflows` (`status`,`created_at`);
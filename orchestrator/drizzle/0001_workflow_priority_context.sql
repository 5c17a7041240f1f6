ALTER TABLE `workflows` ADD `priority` text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE `workflows` ADD `context` text;
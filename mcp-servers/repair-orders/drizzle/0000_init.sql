CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`operation` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `repair_order_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`repair_order_id` text NOT NULL,
	`author` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	`sequence` integer NOT NULL,
	FOREIGN KEY (`repair_order_id`) REFERENCES `repair_orders`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `repair_order_notes_sequence_unique` ON `repair_order_notes` (`repair_order_id`,`sequence`);--> statement-breakpoint
CREATE TABLE `repair_order_parts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`repair_order_id` text NOT NULL,
	`part_number` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price_cents` integer,
	`reservation_id` text,
	`added_at` integer NOT NULL,
	FOREIGN KEY (`repair_order_id`) REFERENCES `repair_orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "repair_order_parts_quantity_positive" CHECK("repair_order_parts"."quantity" > 0),
	CONSTRAINT "repair_order_parts_price_non_negative" CHECK("repair_order_parts"."unit_price_cents" IS NULL OR "repair_order_parts"."unit_price_cents" >= 0)
);
--> statement-breakpoint
CREATE INDEX `repair_order_parts_repair_order_idx` ON `repair_order_parts` (`repair_order_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `repair_order_parts_reservation_line_unique` ON `repair_order_parts` (`repair_order_id`,`reservation_id`,`part_number`);--> statement-breakpoint
CREATE TABLE `repair_order_status_history` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`repair_order_id` text NOT NULL,
	`from_status` text,
	`to_status` text NOT NULL,
	`reason` text,
	`changed_at` integer NOT NULL,
	`sequence` integer NOT NULL,
	FOREIGN KEY (`repair_order_id`) REFERENCES `repair_orders`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "repair_order_status_history_from" CHECK("repair_order_status_history"."from_status" IS NULL OR "repair_order_status_history"."from_status" IN ('pending', 'scheduled', 'in_progress', 'parts_ordered', 'quality_check', 'customer_approval', 'ready_for_pickup', 'completed', 'invoiced', 'closed', 'cancelled')),
	CONSTRAINT "repair_order_status_history_to" CHECK("repair_order_status_history"."to_status" IN ('pending', 'scheduled', 'in_progress', 'parts_ordered', 'quality_check', 'customer_approval', 'ready_for_pickup', 'completed', 'invoiced', 'closed', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `repair_order_status_history_sequence_unique` ON `repair_order_status_history` (`repair_order_id`,`sequence`);--> statement-breakpoint
CREATE TABLE `repair_orders` (
	`id` text PRIMARY KEY NOT NULL,
	`customer_name` text NOT NULL,
	`customer_email` text NOT NULL,
	`customer_phone` text,
	`vehicle_make` text NOT NULL,
	`vehicle_model` text NOT NULL,
	`vehicle_year` integer NOT NULL,
	`vehicle_vin` text,
	`description` text NOT NULL,
	`status` text NOT NULL,
	`technician_id` text,
	`estimated_total_cents` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`technician_id`) REFERENCES `technicians`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "repair_orders_id_format" CHECK(length("repair_orders"."id") BETWEEN 1 AND 32 AND "repair_orders"."id" NOT GLOB '*[^A-Za-z0-9-]*'),
	CONSTRAINT "repair_orders_status" CHECK("repair_orders"."status" IN ('pending', 'scheduled', 'in_progress', 'parts_ordered', 'quality_check', 'customer_approval', 'ready_for_pickup', 'completed', 'invoiced', 'closed', 'cancelled')),
	CONSTRAINT "repair_orders_estimated_total_non_negative" CHECK("repair_orders"."estimated_total_cents" >= 0)
);
--> statement-breakpoint
CREATE INDEX `repair_orders_status_idx` ON `repair_orders` (`status`);--> statement-breakpoint
CREATE TABLE `technicians` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`specialty` text NOT NULL
);

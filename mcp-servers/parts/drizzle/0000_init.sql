CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`operation` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `part_alternatives` (
	`part_number` text NOT NULL,
	`alternative_part_number` text NOT NULL,
	`note` text DEFAULT '' NOT NULL,
	PRIMARY KEY(`part_number`, `alternative_part_number`),
	FOREIGN KEY (`part_number`) REFERENCES `parts`(`part_number`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`alternative_part_number`) REFERENCES `parts`(`part_number`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "part_alternatives_not_self" CHECK("part_alternatives"."part_number" <> "part_alternatives"."alternative_part_number")
);
--> statement-breakpoint
CREATE TABLE `part_compatibility` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`part_number` text NOT NULL,
	`make` text NOT NULL,
	`model` text NOT NULL,
	`year_from` integer NOT NULL,
	`year_to` integer NOT NULL,
	FOREIGN KEY (`part_number`) REFERENCES `parts`(`part_number`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "part_compatibility_year_range" CHECK("part_compatibility"."year_from" <= "part_compatibility"."year_to")
);
--> statement-breakpoint
CREATE INDEX `part_compatibility_part_idx` ON `part_compatibility` (`part_number`);--> statement-breakpoint
CREATE TABLE `part_reservation_lines` (
	`reservation_id` text NOT NULL,
	`part_number` text NOT NULL,
	`quantity` integer NOT NULL,
	`unit_price_cents` integer NOT NULL,
	PRIMARY KEY(`reservation_id`, `part_number`),
	FOREIGN KEY (`reservation_id`) REFERENCES `part_reservations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`part_number`) REFERENCES `parts`(`part_number`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "part_reservation_lines_quantity_positive" CHECK("part_reservation_lines"."quantity" > 0),
	CONSTRAINT "part_reservation_lines_price_non_negative" CHECK("part_reservation_lines"."unit_price_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE `part_reservations` (
	`id` text PRIMARY KEY NOT NULL,
	`repair_order_id` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "part_reservations_status" CHECK("part_reservations"."status" IN ('held', 'released', 'consumed'))
);
--> statement-breakpoint
CREATE INDEX `part_reservations_repair_order_idx` ON `part_reservations` (`repair_order_id`);--> statement-breakpoint
CREATE TABLE `parts` (
	`part_number` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`category` text NOT NULL,
	`brand` text NOT NULL,
	`price_cents` integer NOT NULL,
	`available` integer NOT NULL,
	`reserved` integer DEFAULT 0 NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "parts_available_non_negative" CHECK("parts"."available" >= 0),
	CONSTRAINT "parts_reserved_non_negative" CHECK("parts"."reserved" >= 0),
	CONSTRAINT "parts_price_non_negative" CHECK("parts"."price_cents" >= 0),
	CONSTRAINT "parts_part_number_format" CHECK(length("parts"."part_number") BETWEEN 3 AND 20 AND "parts"."part_number" NOT GLOB '*[^A-Z0-9-]*')
);
--> statement-breakpoint
CREATE INDEX `parts_category_idx` ON `parts` (`category`);
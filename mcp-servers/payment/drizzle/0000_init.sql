CREATE TABLE `idempotency_keys` (
	`key` text PRIMARY KEY NOT NULL,
	`operation` text NOT NULL,
	`request_hash` text NOT NULL,
	`response` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`channel` text NOT NULL,
	`recipient` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "notifications_channel_known" CHECK("notifications"."channel" IN ('email', 'sms'))
);
--> statement-breakpoint
CREATE INDEX `notifications_payment_id_idx` ON `notifications` (`payment_id`);--> statement-breakpoint
CREATE TABLE `payments` (
	`id` text PRIMARY KEY NOT NULL,
	`token` text NOT NULL,
	`invoice_number` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`refunded_cents` integer DEFAULT 0 NOT NULL,
	`currency` text NOT NULL,
	`customer_email` text NOT NULL,
	`description` text,
	`status` text NOT NULL,
	`method` text,
	`expires_at` integer NOT NULL,
	`paid_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	CONSTRAINT "payments_amount_positive" CHECK("payments"."amount_cents" > 0),
	CONSTRAINT "payments_refunded_within_amount" CHECK("payments"."refunded_cents" >= 0 AND "payments"."refunded_cents" <= "payments"."amount_cents"),
	CONSTRAINT "payments_currency_supported" CHECK("payments"."currency" IN ('USD', 'EUR', 'GBP', 'CAD', 'AUD')),
	CONSTRAINT "payments_status_known" CHECK("payments"."status" IN ('pending', 'paid', 'partially_refunded', 'refunded', 'cancelled'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payments_token_unique` ON `payments` (`token`);--> statement-breakpoint
CREATE INDEX `payments_invoice_number_idx` ON `payments` (`invoice_number`);--> statement-breakpoint
CREATE INDEX `payments_status_idx` ON `payments` (`status`);--> statement-breakpoint
CREATE TABLE `refunds` (
	`id` text PRIMARY KEY NOT NULL,
	`payment_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`reason_code` text NOT NULL,
	`note` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`payment_id`) REFERENCES `payments`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "refunds_amount_positive" CHECK("refunds"."amount_cents" > 0),
	CONSTRAINT "refunds_reason_code_known" CHECK("refunds"."reason_code" IN ('duplicate', 'fraudulent', 'requested_by_customer', 'service_not_rendered', 'other'))
);
--> statement-breakpoint
CREATE INDEX `refunds_payment_id_idx` ON `refunds` (`payment_id`);
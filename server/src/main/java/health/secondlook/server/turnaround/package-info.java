/**
 * Turnaround: when each referral Task first reached each status, kept on the Task, and the counts,
 * median and 90th-percentile times from request to each status and the overdue reviews, as
 * Micrometer metrics, {@code Task/$turnaround} and the {@code due-date} search on Task.
 */
package health.secondlook.server.turnaround;

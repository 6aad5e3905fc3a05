/**
 * The audit trail: AuditEvents (IHE BALP) of who read, searched or was refused what, and of each
 * pull, signature, delivery and write-back. Features record into it; it imports none of them.
 */
package health.secondlook.server.audit;

package health.secondlook.server.delivery;

/**
 * A receiving organisation that gets its packets delivered.
 *
 * @param name its configured name ({@code secondlook.recipients.<name>}), kept in {@code
 *     Task.owner}
 * @param display its name as people see it
 * @param delivery how and where
 */
record DeliveryTarget(String name, String display, RecipientDelivery delivery) {}

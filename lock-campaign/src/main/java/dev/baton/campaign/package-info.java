/**
 * The multi-process fault campaign: {@link dev.baton.campaign.Campaign} starts the servers, the client JVMs ({@link
 * dev.baton.campaign.CampaignClient}), the fenced resource and the nemesis, then checks the histories across processes.
 * Not a library: run it with {@code lock-campaign/run}; see RELIABILITY.md.
 */
package dev.baton.campaign;

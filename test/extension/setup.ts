// placeholder until the extension tests land

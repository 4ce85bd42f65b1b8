/**
 * The old project's placement: `sorted(groups)[last_ip_octet % len(groups)]`. Group names here
 * are ASCII, where Python's `sorted` and JavaScript's default sort agree.
 */
export function oldRule(address: string, groups: readonly string[]): string {
  const sorted = [...groups].sort();
  const lastOctet = Number(address.split('.').at(-1));
  return sorted[lastOctet % sorted.length];
}

/** `count` distinct addresses drawn uniformly from the /16 pod network 10.42.0.0/16. */
export function uniformPodAddresses(count: number, random: () => number): string[] {
  const seen = new Set<string>();
  while (seen.size < count) {
    const third = Math.floor(random() * 256);
    const fourth = 1 + Math.floor(random() * 254); // .0 and .255 are not pod addresses
    seen.add(`10.42.${third}.${fourth}`);
  }
  return [...seen];
}

/**
 * Addresses as a Kubernetes cluster hands them out: each host owns a /24 of the /16 and gives its
 * pods the next free address from .2 up, so the last octets are small and repeat across hosts.
 */
export function perHostPodAddresses(count: number, hosts: number, random: () => number): string[] {
  const nextOnHost = Array.from({ length: hosts }, () => 2);
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const host = Math.floor(random() * hosts);
    addresses.push(`10.42.${host}.${nextOnHost[host]++}`);
  }
  return addresses;
}

/**
 * AMQP topic matching, as a topic exchange does it: keys and patterns are dot-separated words,
 * `*` matches exactly one word and `#` matches zero or more.
 */
export const compileTopicPattern = (pattern: string): ((routingKey: string) => boolean) => {
  const words = pattern.split('.');
  return (routingKey) => {
    const key = routingKey.split('.');
    // reachable[j]: the pattern words seen so far can consume exactly the first j key words.
    let reachable: boolean[] = key.map(() => false).concat(false);
    reachable[0] = true;
    for (const word of words) {
      const next: boolean[] = new Array<boolean>(key.length + 1).fill(false);
      for (let j = 0; j <= key.length; j++) {
        if (!reachable[j]) continue;
        if (word === '#') {
          for (let k = j; k <= key.length; k++) next[k] = true;
          break;
        }
        if (j < key.length && (word === '*' || word === key[j])) next[j + 1] = true;
      }
      reachable = next;
    }
    return reachable[key.length] === true;
  };
};

export const topicMatches = (pattern: string, routingKey: string): boolean => compileTopicPattern(pattern)(routingKey);

/** Source of fresh random identifiers (slugids): hint ids, credential seeds. */
export interface IdGenerator {
  slugid(): string;
}

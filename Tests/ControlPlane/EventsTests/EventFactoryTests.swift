import Testing
@testable import Events

@Suite("Lifecycle event bodies")
struct EventFactoryTests {
    @Test("an event's fileName is the MP3's name without its folders")
    func fileName() {
        #expect(EventFactory.fileName("recordings/261123/abc.mp3") == "abc.mp3")
    }
}

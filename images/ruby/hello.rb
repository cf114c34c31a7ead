# The ruby image's example script: /dev/script.rb of the bundle.
words = "the quick brown fox jumps over the lazy dog the end".split
counts = words.tally.sort_by { |word, n| [-n, word] }
puts "sum of 1..10: #{(1..10).sum}"
counts.first(3).each { |word, n| puts "#{word} #{n}" }
puts "ruby #{RUBY_VERSION}"

import { graphql, getFragmentData, type FragmentType } from '../gql/index.ts';

export const ReviewItemFragment = graphql(`
  fragment ReviewItem on Review {
    id
    rating
    body
    createdAt
    author { id name }
  }
`);

export function ReviewItem(props: { review: FragmentType<typeof ReviewItemFragment> }) {
  const review = getFragmentData(ReviewItemFragment, props.review);
  return (
    <li className="review" data-testid="review">
      <div>
        <span aria-label={`${review.rating} out of 5`}>{'★'.repeat(review.rating)}{'☆'.repeat(5 - review.rating)}</span>{' '}
        <strong className="review-author">{review.author.name}</strong>{' '}
        <span className="muted">{new Date(review.createdAt).toLocaleDateString('en-US')}</span>
      </div>
      <p>{review.body}</p>
    </li>
  );
}
